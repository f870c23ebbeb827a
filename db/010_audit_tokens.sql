-- 010: the audit log also records API tokens made and revoked (from the
-- console). SQLite cannot change a CHECK constraint in place: the table is
-- made again with the wider list and its lines copied over, in order.
CREATE TABLE audit_new (
  pk       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  actor    TEXT NOT NULL,                   -- an e-mail address, 'cli', or a token name
  event    TEXT NOT NULL CHECK (event IN ('invite', 'invite-reset', 'enrol', 'sign-in',
             'sign-in-failed', 'sign-out', 'sign-out-everywhere', 'role', 'disable',
             'enable', 'recovery-code-used', 'token-create', 'token-revoke')),
  subject  TEXT,                            -- the account or token it concerns
  detail   TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 500),
  address  TEXT                             -- the client's address, when over HTTP
);
INSERT INTO audit_new (pk, at, actor, event, subject, detail, address)
  SELECT pk, at, actor, event, subject, detail, address FROM audit ORDER BY pk;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
CREATE INDEX audit_at ON audit(at);
