"""`WholeLineWriter`: a thread's line is written whole, even when another thread writes
between its text and its newline; flushing writes an unfinished line at once."""

from __future__ import annotations

import io
import threading

from infra.local.whole_lines import WholeLineWriter


def test_a_line_is_written_whole_when_another_thread_writes_between_its_parts() -> None:
    sink = io.StringIO()
    writer = WholeLineWriter(sink)
    first_half_written, other_line_written = threading.Event(), threading.Event()

    def slow() -> None:
        writer.write('{"a": 1}')
        first_half_written.set()
        other_line_written.wait(5)
        writer.write("\n")

    thread = threading.Thread(target=slow)
    thread.start()
    first_half_written.wait(5)
    print('{"b": 2}', file=writer)
    other_line_written.set()
    thread.join(5)
    assert sink.getvalue() == '{"b": 2}\n{"a": 1}\n'


def test_flush_writes_the_unfinished_line_and_several_lines_go_out_together() -> None:
    sink = io.StringIO()
    writer = WholeLineWriter(sink)
    writer.write("one\ntwo\nthr")
    assert sink.getvalue() == "one\ntwo\n"
    print("ee", end="", file=writer, flush=True)
    assert sink.getvalue() == "one\ntwo\nthree"
