"""Records for other systems: completion records (CSV, JSON), xAPI statements, SCORM packages."""
