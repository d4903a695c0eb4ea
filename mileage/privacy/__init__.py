"""Personal-data access log (개인정보 접근기록, PIPA): who read which citizen's data, when and why."""
