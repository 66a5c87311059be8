DROP TABLE student_mistakes;
DROP TABLE student_weaknesses;
