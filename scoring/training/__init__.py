"""Offline training of the default scorer (scikit-learn; a dev dependency, never at run time)."""
