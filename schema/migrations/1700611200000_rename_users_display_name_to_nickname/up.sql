-- The mobile app calls it "nickname"; the product team wants the API to match.
ALTER TABLE users RENAME COLUMN display_name TO nickname;
