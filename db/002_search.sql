-- 002: full-text search over organisations. One FTS5 row per organisation
-- (rowid = organisation.pk): its name, summary and description, and in `extra`
-- the names and summaries of its resources and the labels and descriptions of
-- its topics, so "Crossing the Line" finds Childnet and "bullying" finds the
-- organisations tagged cyberbullying. Porter stemming over unicode61.
-- Triggers keep it current on every write to the tables it reads.

CREATE VIRTUAL TABLE org_fts USING fts5(
  name, summary, description, extra,
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE VIEW org_fts_source AS
SELECT o.pk AS pk, o.name AS name, o.summary AS summary, o.description AS description,
       coalesce((SELECT group_concat(r.name || ' ' || r.summary, ' ')
                   FROM resource r WHERE r.org_pk = o.pk AND r.archived_at IS NULL), '')
       || ' ' ||
       coalesce((SELECT group_concat(t.label || ' ' || t.description, ' ')
                   FROM org_topic ot JOIN topic t ON t.pk = ot.topic_pk
                  WHERE ot.org_pk = o.pk), '') AS extra
  FROM organisation o;

CREATE TRIGGER org_fts_ai AFTER INSERT ON organisation BEGIN
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER org_fts_au AFTER UPDATE OF name, summary, description ON organisation BEGIN
  DELETE FROM org_fts WHERE rowid = old.pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER org_fts_ad AFTER DELETE ON organisation BEGIN
  DELETE FROM org_fts WHERE rowid = old.pk;
END;

-- Resource and topic changes re-index the organisation they belong to.
CREATE TRIGGER org_fts_res_ai AFTER INSERT ON resource BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_res_au AFTER UPDATE ON resource BEGIN
  DELETE FROM org_fts WHERE rowid IN (old.org_pk, new.org_pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source
     WHERE pk IN (old.org_pk, new.org_pk);
END;
CREATE TRIGGER org_fts_res_ad AFTER DELETE ON resource BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source WHERE pk = old.org_pk;
END;
CREATE TRIGGER org_fts_topic_ai AFTER INSERT ON org_topic BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_topic_ad AFTER DELETE ON org_topic BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source WHERE pk = old.org_pk;
END;
