CREATE OR REPLACE VIEW account_names AS SELECT id, coalesce(display_name, email) AS name FROM account;
