DROP VIEW practice_statistics;
