-- 009: a report is resolved with a note: what the curator found and did,
-- for the next person who reads it.
ALTER TABLE report ADD COLUMN closed_note TEXT
  CHECK (closed_note IS NULL OR length(closed_note) <= 2000);
