CREATE INDEX account_display_name ON account (display_name);
