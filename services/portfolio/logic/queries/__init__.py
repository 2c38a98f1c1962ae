"""The portfolio's query layer (cosmic-python's views): each read use case authorizes the
caller, asks the `ReadModel` port for exactly what the page needs and derives the view.
Rules live once in `logic/` (billing, holdings, targets); paging in `paging.py`."""
