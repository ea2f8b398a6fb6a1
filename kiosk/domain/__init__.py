"""The kiosk's domain: money, ID numbers, masking, periods, insured items, people. Plain Python, no Qt."""
