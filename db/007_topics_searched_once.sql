-- 007: the taxonomy's words are indexed once, with each topic and
-- audience, not copied into every organisation filed under it. 006 put each
-- topic's label, description, search terms and guidance, and each
-- audience's label and description, into the document of every organisation
-- tagged with it: with 100,000 organisations that is over a gigabyte of
-- repeated guidance, and a word of the taxonomy ("child", "worried")
-- matched, and had to be scored in, tens of thousands of documents. Now
-- org_fts holds what an organisation says itself (name, summary,
-- description, resources, contact labels and kinds, its own search terms),
-- topic_fts what a topic says (label, description, search terms, guidance)
-- and audience_fts what an audience is (label, description); search.c finds
-- a word in all three and gives the organisations tagged with each matching
-- topic or audience its score. The same organisations are found; the
-- weights stay in one place, server/store/search.c.

DROP TRIGGER org_fts_ai;
DROP TRIGGER org_fts_au;
DROP TRIGGER org_fts_ad;
DROP TRIGGER org_fts_res_ai;
DROP TRIGGER org_fts_res_au;
DROP TRIGGER org_fts_res_ad;
DROP TRIGGER org_fts_topic_ai;
DROP TRIGGER org_fts_topic_ad;
DROP TRIGGER org_fts_topic_au;
DROP TRIGGER org_fts_contact_ai;
DROP TRIGGER org_fts_contact_au;
DROP TRIGGER org_fts_contact_ad;
DROP TRIGGER org_fts_aud_ai;
DROP TRIGGER org_fts_aud_ad;
DROP TRIGGER org_fts_audience_au;
DROP VIEW org_fts_source;
DROP TABLE org_fts_vocab;
DROP TABLE org_fts;

CREATE VIRTUAL TABLE org_fts USING fts5(
  name, summary, description, extra, contacts, terms,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE org_fts_vocab USING fts5vocab(org_fts, 'row');

CREATE VIRTUAL TABLE topic_fts USING fts5(
  label, description, terms, guidance,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE topic_fts_vocab USING fts5vocab(topic_fts, 'row');

CREATE VIRTUAL TABLE audience_fts USING fts5(
  label, description,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE audience_fts_vocab USING fts5vocab(audience_fts, 'row');

CREATE VIEW org_fts_source AS
SELECT o.pk AS pk, o.name AS name, o.summary AS summary, o.description AS description,
       coalesce((SELECT group_concat(r.name || ' ' || r.summary || ' ' || replace(r.type, '-', ' '), ' ')
                   FROM resource r WHERE r.org_pk = o.pk AND r.archived_at IS NULL), '') AS extra,
       coalesce((SELECT group_concat(c.label || ' ' || CASE c.kind
                   WHEN 'phone' THEN 'phone call ring helpline number'
                   WHEN 'text' THEN 'text message sms'
                   WHEN 'email' THEN 'email'
                   WHEN 'webchat' THEN 'chat online chat'
                   WHEN 'report-form' THEN 'report form'
                   ELSE 'website' END, ' ')
                   FROM contact c WHERE c.org_pk = o.pk), '') AS contacts,
       coalesce((SELECT group_concat(s.term, ' ') FROM search_term s
                  WHERE s.org_pk = o.pk), '') AS terms
  FROM organisation o;

CREATE VIEW topic_fts_source AS
SELECT t.pk AS pk, t.label AS label, t.description AS description,
       coalesce((SELECT group_concat(s.term, ' ') FROM search_term s
                  WHERE s.topic_pk = t.pk), '') AS terms,
       t.guidance_md AS guidance
  FROM topic t;

INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
  SELECT * FROM org_fts_source;
INSERT INTO topic_fts(rowid, label, description, terms, guidance)
  SELECT * FROM topic_fts_source;
INSERT INTO audience_fts(rowid, label, description)
  SELECT pk, label, description FROM audience;

CREATE TRIGGER org_fts_ai AFTER INSERT ON organisation BEGIN
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER org_fts_au AFTER UPDATE OF name, summary, description ON organisation BEGIN
  DELETE FROM org_fts WHERE rowid = old.pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER org_fts_ad AFTER DELETE ON organisation BEGIN
  DELETE FROM org_fts WHERE rowid = old.pk;
END;

CREATE TRIGGER org_fts_res_ai AFTER INSERT ON resource BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_res_au AFTER UPDATE ON resource BEGIN
  DELETE FROM org_fts WHERE rowid IN (old.org_pk, new.org_pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk IN (old.org_pk, new.org_pk);
END;
CREATE TRIGGER org_fts_res_ad AFTER DELETE ON resource BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk = old.org_pk;
END;

CREATE TRIGGER org_fts_contact_ai AFTER INSERT ON contact BEGIN
  DELETE FROM org_fts WHERE rowid = new.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk = new.org_pk;
END;
CREATE TRIGGER org_fts_contact_au AFTER UPDATE ON contact BEGIN
  DELETE FROM org_fts WHERE rowid IN (old.org_pk, new.org_pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk IN (old.org_pk, new.org_pk);
END;
CREATE TRIGGER org_fts_contact_ad AFTER DELETE ON contact BEGIN
  DELETE FROM org_fts WHERE rowid = old.org_pk;
  INSERT INTO org_fts(rowid, name, summary, description, extra, contacts, terms)
    SELECT * FROM org_fts_source WHERE pk = old.org_pk;
END;

-- A topic's or an audience's own row (their organisations are found
-- through their tags, which the in-memory index holds: tagging needs no
-- re-indexing).
CREATE TRIGGER topic_fts_ai AFTER INSERT ON topic BEGIN
  INSERT INTO topic_fts(rowid, label, description, terms, guidance)
    SELECT * FROM topic_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER topic_fts_au AFTER UPDATE OF label, description, guidance_md ON topic BEGIN
  DELETE FROM topic_fts WHERE rowid = old.pk;
  INSERT INTO topic_fts(rowid, label, description, terms, guidance)
    SELECT * FROM topic_fts_source WHERE pk = new.pk;
END;
CREATE TRIGGER topic_fts_ad AFTER DELETE ON topic BEGIN
  DELETE FROM topic_fts WHERE rowid = old.pk;
END;

CREATE TRIGGER audience_fts_ai AFTER INSERT ON audience BEGIN
  INSERT INTO audience_fts(rowid, label, description) VALUES (new.pk, new.label, new.description);
END;
CREATE TRIGGER audience_fts_au AFTER UPDATE OF label, description ON audience BEGIN
  DELETE FROM audience_fts WHERE rowid = old.pk;
  INSERT INTO audience_fts(rowid, label, description) VALUES (new.pk, new.label, new.description);
END;
CREATE TRIGGER audience_fts_ad AFTER DELETE ON audience BEGIN
  DELETE FROM audience_fts WHERE rowid = old.pk;
END;

-- Search terms still have no triggers: store/write.c re-indexes the one
-- organisation or topic whose terms a write replaced, once.
