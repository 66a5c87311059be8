DROP TABLE practice_sessions;
DROP TYPE practice_session_status;
