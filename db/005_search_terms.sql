-- 005: the search lexicon. Everyday words and synonyms that curators attach
-- to a topic or to an organisation, so that people find help in their own
-- words ("nudes", "sextortion", "ring", "Chesterfield"). Vocabulary only:
-- nothing here is ever shown as a contact detail.
CREATE TABLE search_term (
    pk INTEGER PRIMARY KEY,
    term TEXT NOT NULL CHECK (length(term) BETWEEN 1 AND 60),
    topic_pk INTEGER REFERENCES topic(pk) ON DELETE CASCADE,
    org_pk INTEGER REFERENCES organisation(pk) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    CHECK ((topic_pk IS NULL) <> (org_pk IS NULL))
);
CREATE UNIQUE INDEX search_term_topic ON search_term(topic_pk, term) WHERE topic_pk IS NOT NULL;
CREATE UNIQUE INDEX search_term_org ON search_term(org_pk, term) WHERE org_pk IS NOT NULL;
