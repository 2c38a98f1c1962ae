"""The portal's services. Each folder: handlers/ (Lambda entry points), logic/ (domain
rules, no AWS), adapters/ (the only code that calls AWS), models/, and topology.py.
`services.topologies.TOPOLOGIES` lists them all (not imported here: a handler's cold start
loads its own service only)."""
