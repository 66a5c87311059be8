DROP TABLE practice_strategies;
