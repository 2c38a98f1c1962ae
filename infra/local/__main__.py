"""`python -m infra.local` (what `make run` calls)."""

from infra.local.runtime import main

main()
