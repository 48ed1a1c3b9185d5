"""The learning domain, without Flask: progress and completions, attempts, pilot work, certificates, accounts, reports, demo data.

Services take the session (and clock, settings) from their caller and never commit: the view or command owns the transaction.
"""
