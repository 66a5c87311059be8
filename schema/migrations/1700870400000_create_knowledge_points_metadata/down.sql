DROP TABLE knowledge_points_metadata;
