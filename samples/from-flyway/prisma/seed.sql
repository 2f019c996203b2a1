INSERT INTO role (name) VALUES ('admin'), ('member') ON CONFLICT DO NOTHING;
