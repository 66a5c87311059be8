DROP TABLE knowledge_points;
