DROP TABLE quizzes;
DROP TYPE quiz_type;
