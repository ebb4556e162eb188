"""The admin command line, ``thep-admin``: the same services as the GUI, without Qt."""
