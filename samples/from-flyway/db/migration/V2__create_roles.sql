CREATE TABLE role (
    name text PRIMARY KEY
);
CREATE TABLE account_role (
    account_id bigint NOT NULL REFERENCES account (id),
    role_name text NOT NULL REFERENCES role (name),
    PRIMARY KEY (account_id, role_name)
);
