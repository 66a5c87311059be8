-- The dashboard's per-student figures; a plain view, fast enough while sessions are indexed by user.
CREATE VIEW practice_statistics AS
SELECT s.user_id,
       count(DISTINCT s.id) AS session_count,
       count(DISTINCT s.id) FILTER (WHERE s.status = 'completed') AS completed_session_count,
       count(a.id) AS answer_count,
       count(a.id) FILTER (WHERE a.is_correct) AS correct_answer_count,
       round(100.0 * count(a.id) FILTER (WHERE a.is_correct) / NULLIF(count(a.id), 0), 2)
         AS accuracy_percent,
       coalesce(sum(a.time_spent_ms), 0) AS total_time_spent_ms,
       max(s.started_at) AS last_practiced_at
  FROM practice_sessions s
  LEFT JOIN practice_answers a ON a.session_id = s.id
 GROUP BY s.user_id;
COMMENT ON VIEW practice_statistics IS 'Per-student practice totals for the dashboard.';
