-- 004: a topic's new label or description reaches the search index of the
-- organisations that carry it (their `extra` column holds topic labels and
-- descriptions; 002 re-indexed only when the links changed).

CREATE TRIGGER org_fts_topic_au AFTER UPDATE OF label, description ON topic BEGIN
  DELETE FROM org_fts WHERE rowid IN (SELECT org_pk FROM org_topic WHERE topic_pk = new.pk);
  INSERT INTO org_fts(rowid, name, summary, description, extra)
    SELECT pk, name, summary, description, extra FROM org_fts_source
     WHERE pk IN (SELECT org_pk FROM org_topic WHERE topic_pk = new.pk);
END;
