"""Settings: ``base`` (shared), ``local`` (default, embedded SQLite), ``production``, ``test``."""
