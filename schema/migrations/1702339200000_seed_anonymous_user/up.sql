-- The one account guest sessions belong to. Fixed id: the API and the app refer to it by id.
INSERT INTO users (id, email, display_name, role, locale, settings, created_at, updated_at)
VALUES ('00000000-0000-4000-8000-000000000000', 'anonymous@users.invalid', 'Anonymous', 'anonymous',
        'zh-CN', '{"guest": true, "store_history": false}',
        '2023-12-12 00:00:00+00', '2023-12-12 00:00:00+00');
