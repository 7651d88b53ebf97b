"""The demo site: Northshire's places, forums, votes, decisions and pages, and the
commands that build it (`seed_demo`) and keep its live results moving (`demo_voting`)."""
