-- 003: curation. Tokens for the write API (only their SHA-256 is kept),
-- revisions (who changed what, the whole record before and after), problem
-- reports from the public, and a data version every write bumps so that
-- every process reading this file sees changes.

CREATE TABLE token (
  pk         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  role       TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
  hash       TEXT NOT NULL UNIQUE,          -- hex SHA-256 of the token
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  revoked_at TEXT
);

CREATE TABLE revision (
  pk        INTEGER PRIMARY KEY,
  entity    TEXT NOT NULL CHECK (entity IN ('organisation', 'resource', 'audience', 'topic')),
  entity_id TEXT NOT NULL,                  -- the record's UUID
  n         INTEGER NOT NULL,               -- 1, 2, 3... per record
  action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'restore',
              'review', 'import')),
  actor     TEXT NOT NULL,                  -- token name, or 'cli:import'
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  before    TEXT,                           -- JSON of the record, NULL on create
  after     TEXT,                           -- JSON of the record
  UNIQUE (entity, entity_id, n)
);

CREATE TABLE report (
  pk         INTEGER PRIMARY KEY,
  org_pk     INTEGER NOT NULL REFERENCES organisation(pk) ON DELETE CASCADE,
  what       TEXT NOT NULL CHECK (what IN ('phone', 'website', 'email', 'closed',
               'description', 'other')),
  details    TEXT NOT NULL DEFAULT '' CHECK (length(details) <= 2000),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  closed_at  TEXT,
  closed_by  TEXT
);
CREATE INDEX report_open ON report(closed_at, created_at);

INSERT INTO meta (key, value) VALUES ('data_version', '1');
