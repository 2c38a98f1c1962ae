"""The portfolio API's responses, one module per section, in the JSON style of
docs/api-conventions.md: counts and years are numbers, money carries its currency's
scale, volumes 3 decimals, percentages 2, dates ISO, absent values null. Every model
forbids undeclared fields and is built field by field from logic's views (`of`): an
allow-list, so a storage attribute can never reach a response."""
