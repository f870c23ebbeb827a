-- 008: curators' accounts for the console, apart from API tokens. A person
-- is invited (the link's token is kept only as its SHA-256, valid 24 hours,
-- used once), sets a password (kept only as an Argon2id PHC string) and
-- enrols a TOTP second factor (the secret sealed with a key kept outside
-- this file: a copy of the database alone does not reveal it), and gets ten
-- single-use recovery codes (kept as SHA-256). Sessions are kept only as the
-- SHA-256 of their id. The audit log records every sign-in, failure,
-- sign-out, invitation and change of role or state.

CREATE TABLE curator (
  pk            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE
                CHECK (length(email) BETWEEN 3 AND 254 AND instr(email, '@') > 1),
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role          TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
  state         TEXT NOT NULL DEFAULT 'invited' CHECK (state IN ('invited', 'active', 'disabled')),
  password      TEXT,                       -- Argon2id PHC string, NULL until set
  totp_sealed   BLOB,                       -- nonce || ciphertext || tag
  totp_step     INTEGER NOT NULL DEFAULT 0, -- the last 30-second step used
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  signed_in_at  TEXT,
  disabled_at   TEXT
);

CREATE TABLE invitation (
  pk          INTEGER PRIMARY KEY,
  curator_pk  INTEGER NOT NULL REFERENCES curator(pk) ON DELETE CASCADE,
  hash        TEXT NOT NULL UNIQUE,         -- hex SHA-256 of the link's token
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  expires_at  TEXT NOT NULL,
  used_at     TEXT
);
CREATE INDEX invitation_curator ON invitation(curator_pk);

CREATE TABLE recovery_code (
  pk          INTEGER PRIMARY KEY,
  curator_pk  INTEGER NOT NULL REFERENCES curator(pk) ON DELETE CASCADE,
  hash        TEXT NOT NULL,                -- hex SHA-256 of the code
  used_at     TEXT,
  UNIQUE (curator_pk, hash)
);

CREATE TABLE session (
  pk          INTEGER PRIMARY KEY,
  curator_pk  INTEGER NOT NULL REFERENCES curator(pk) ON DELETE CASCADE,
  hash        TEXT NOT NULL UNIQUE,         -- hex SHA-256 of the cookie's id
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  seen_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  ended_at    TEXT
);
CREATE INDEX session_curator ON session(curator_pk, ended_at);

CREATE TABLE audit (
  pk       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  actor    TEXT NOT NULL,                   -- an e-mail address, 'cli', or a token name
  event    TEXT NOT NULL CHECK (event IN ('invite', 'invite-reset', 'enrol', 'sign-in',
             'sign-in-failed', 'sign-out', 'sign-out-everywhere', 'role', 'disable',
             'enable', 'recovery-code-used')),
  subject  TEXT,                            -- the account it concerns
  detail   TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 500),
  address  TEXT                             -- the client's address, when over HTTP
);
CREATE INDEX audit_at ON audit(at);
