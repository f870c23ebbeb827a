-- 006: search reads more of each record. The full-text index gets columns
-- for what people also type: the contacts' labels and the words for their
-- kinds ("phone", "call", "ring", "helpline", "text", "chat", "report"),
-- the audiences, the search lexicon (the organisation's own terms, and apart
-- from them its topics' terms, so a broad organisation is not outweighed) and, weighed least, its topics' guidance. The weights are
-- given in one place, server/store/search.c. fts5vocab exposes the index's
-- own vocabulary (stems and how many organisations carry each), which typo
-- correction and compound words look up. Triggers keep every column current.

DROP TRIGGER org_fts_ai;
DROP TRIGGER org_fts_au;
DROP TRIGGER org_fts_ad;
DROP TRIGGER org_fts_res_ai;
DROP TRIGGER org_fts_res_au;
DROP TRIGGER org_fts_res_ad;
DROP TRIGGER org_fts_topic_ai;
DROP TRIGGER org_fts_topic_ad;
DROP TRIGGER org_fts_topic_au;
DROP VIEW org_fts_source;
DROP TABLE org_fts;

CREATE VIRTUAL TABLE org_fts USING fts5(
  name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE org_fts_vocab USING fts5vocab(org_fts, 'row');

CREATE VIEW org_fts_source AS
SELECT o.pk AS pk, o.name AS name, o.summary AS summary, o.description AS description,
       coalesce((SELECT group_concat(r.name || ' ' || r.summary || ' ' || replace(r.type, '-', ' '), ' ')
                   FROM resource r WHERE r.org_pk = o.pk AND r.archived_at IS NULL), '')
       || ' ' ||
       coalesce((SELECT group_concat(t.label || ' ' || t.description, ' ')
                   FROM org_topic ot JOIN topic t ON t.pk = ot.topic_pk
                  WHERE ot.org_pk = o.pk), '') AS extra,
       coalesce((SELECT group_concat(c.label || ' ' || CASE c.kind
                   WHEN 'phone' THEN 'phone call ring helpline number'
                   WHEN 'text' THEN 'text message sms'
                   WHEN 'email' THEN 'email'
                   WHEN 'webchat' THEN 'chat online chat'
                   WHEN 'report-form' THEN 'report form'
                   ELSE 'website' END, ' ')
                   FROM contact c WHERE c.org_pk = o.pk), '') AS contacts,
       coalesce((SELECT group_concat(a.label || ' ' || a.description, ' ')
                   FROM org_audience oa JOIN audience a ON a.pk = oa.audience_pk
                  WHERE oa.org_pk = o.pk), '') AS audiences,
       coalesce((SELECT group_concat(s.term, ' ') FROM search_term s
                  WHERE s.org_pk = o.pk), '') AS terms,
       coalesce((SELECT group_concat(s.term, ' ') FROM search_term s
                  WHERE s.topic_pk IN (SELECT topic_pk FROM org_topic WHERE org_pk = o.pk)), '')
         AS topic_terms,
       coalesce((SELECT group_concat(t.guidance_md, ' ')
                   FROM org_topic ot JOIN topic t ON t.pk = ot.topic_pk
                  WHERE ot.org_pk = o.pk), '') AS guidance
  FROM organisation o;

INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
  SELECT pk, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance
    FROM org_fts_source;

-- Re-indexes the organisations whose pk the trigger names.
CREATE TRIGGER org_fts_ai AFTER INSERT ON organisation BEGIN
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER org_fts_au AFTER UPDATE OF name, summary, description ON organisation BEGIN
  DELETE FROM org_fts WHERE rowid = old.pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER org_fts_ad AFTER DELETE ON organisation BEGIN
  DELETE FROM org_fts WHERE rowid = old.pk;
END;

CREATE TRIGGER org_fts_res_ai AFTER INSERT ON resource BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_res_au AFTER UPDATE ON resource BEGIN
  DELETE FROM org_fts WHERE rowid IN (old.org_pk, new.org_pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk IN (old.org_pk, new.org_pk);
END;
CREATE TRIGGER org_fts_res_ad AFTER DELETE ON resource BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = old.org_pk;
END;

CREATE TRIGGER org_fts_topic_ai AFTER INSERT ON org_topic BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_topic_ad AFTER DELETE ON org_topic BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = old.org_pk;
END;
CREATE TRIGGER org_fts_topic_au AFTER UPDATE OF label, description, guidance_md ON topic BEGIN
  DELETE FROM org_fts WHERE rowid IN (SELECT org_pk FROM org_topic WHERE topic_pk = new.pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source
     WHERE pk IN (SELECT org_pk FROM org_topic WHERE topic_pk = new.pk);
END;

CREATE TRIGGER org_fts_contact_ai AFTER INSERT ON contact BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_contact_au AFTER UPDATE ON contact BEGIN
  DELETE FROM org_fts WHERE rowid IN (old.org_pk, new.org_pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk IN (old.org_pk, new.org_pk);
END;
CREATE TRIGGER org_fts_contact_ad AFTER DELETE ON contact BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = old.org_pk;
END;

CREATE TRIGGER org_fts_aud_ai AFTER INSERT ON org_audience BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_aud_ad AFTER DELETE ON org_audience BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source WHERE pk = old.org_pk;
END;
CREATE TRIGGER org_fts_audience_au AFTER UPDATE OF label, description ON audience BEGIN
  DELETE FROM org_fts WHERE rowid IN (SELECT org_pk FROM org_audience WHERE audience_pk = new.pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, audiences, terms, topic_terms, guidance)
    SELECT * FROM org_fts_source
     WHERE pk IN (SELECT org_pk FROM org_audience WHERE audience_pk = new.pk);
END;

-- Search terms have no triggers: a write of a record's terms replaces them
-- all, and the store then re-indexes the organisations concerned once
-- (server/store/write.c); row triggers would re-index them once per term.
