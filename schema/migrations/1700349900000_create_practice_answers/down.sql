DROP TABLE practice_answers;
