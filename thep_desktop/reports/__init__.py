"""Documents the program writes (spreadsheets, letters), made from plain data without Qt."""
