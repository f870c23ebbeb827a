-- 001: the directory's tables. Applied once, inside a transaction, by
-- store_migrate(); PRAGMA user_version records that it ran.
--
-- Every table has an integer primary key `pk` for joins and, where the outside
-- world names a record, a stable UUID `id` and a URL `slug`. Dates are ISO 8601
-- text (YYYY-MM-DD for review dates, YYYY-MM-DDTHH:MM:SSZ for timestamps).

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audience (
  pk          INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  slug        TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
  label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  description TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE topic (
  pk          INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  slug        TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
  label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  description TEXT NOT NULL DEFAULT '',
  parent_pk   INTEGER REFERENCES topic(pk) ON DELETE RESTRICT,
  guidance_md TEXT NOT NULL DEFAULT '',   -- Markdown, rendered by cmark in safe mode
  source      TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX topic_parent ON topic(parent_pk);

CREATE TABLE organisation (
  pk            INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  slug          TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  summary       TEXT NOT NULL DEFAULT '',
  description   TEXT NOT NULL DEFAULT '',
  website       TEXT,                     -- NULL where no fact is known
  kind          TEXT NOT NULL CHECK (kind IN ('charity', 'government', 'police',
                  'local-authority', 'partnership', 'public-body', 'company', 'other')),
  coverage      TEXT NOT NULL,            -- 'UK', 'England', 'Derby and Derbyshire'...
  last_reviewed TEXT,                     -- YYYY-MM-DD; NULL: never checked by a person
  reviewed_by   TEXT,
  source        TEXT NOT NULL,            -- where the facts came from
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  archived_at   TEXT,                     -- non-NULL: hidden from the public, restorable
  revision      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX organisation_name ON organisation(name COLLATE NOCASE);

-- How to reach an organisation: in display order.
CREATE TABLE contact (
  pk       INTEGER PRIMARY KEY,
  org_pk   INTEGER NOT NULL REFERENCES organisation(pk) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 0,
  kind     TEXT NOT NULL CHECK (kind IN ('phone', 'text', 'email', 'webchat',
             'report-form', 'website')),
  label    TEXT NOT NULL,
  value    TEXT NOT NULL,                 -- number, address or URL
  hours    TEXT                           -- opening hours as text; NULL: not known
);
CREATE INDEX contact_org ON contact(org_pk, position);

CREATE TABLE resource (
  pk          INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  slug        TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
  org_pk      INTEGER NOT NULL REFERENCES organisation(pk) ON DELETE CASCADE,
  position    INTEGER NOT NULL DEFAULT 0,
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type        TEXT NOT NULL CHECK (type IN ('helpline', 'reporting-tool',
                'education-pack', 'campaign', 'guidance', 'website', 'film',
                'service')),
  url         TEXT,
  summary     TEXT NOT NULL DEFAULT '',
  age_min     INTEGER CHECK (age_min BETWEEN 0 AND 120),
  age_max     INTEGER CHECK (age_max BETWEEN 0 AND 120 AND age_max >= coalesce(age_min, 0)),
  source      TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  archived_at TEXT
);
CREATE INDEX resource_org ON resource(org_pk, position);

CREATE TABLE org_audience (
  org_pk      INTEGER NOT NULL REFERENCES organisation(pk) ON DELETE CASCADE,
  audience_pk INTEGER NOT NULL REFERENCES audience(pk) ON DELETE CASCADE,
  PRIMARY KEY (org_pk, audience_pk)
) WITHOUT ROWID;
CREATE INDEX org_audience_rev ON org_audience(audience_pk, org_pk);

CREATE TABLE org_topic (
  org_pk   INTEGER NOT NULL REFERENCES organisation(pk) ON DELETE CASCADE,
  topic_pk INTEGER NOT NULL REFERENCES topic(pk) ON DELETE CASCADE,
  PRIMARY KEY (org_pk, topic_pk)
) WITHOUT ROWID;
CREATE INDEX org_topic_rev ON org_topic(topic_pk, org_pk);

CREATE TABLE resource_audience (
  resource_pk INTEGER NOT NULL REFERENCES resource(pk) ON DELETE CASCADE,
  audience_pk INTEGER NOT NULL REFERENCES audience(pk) ON DELETE CASCADE,
  PRIMARY KEY (resource_pk, audience_pk)
) WITHOUT ROWID;

CREATE TABLE resource_topic (
  resource_pk INTEGER NOT NULL REFERENCES resource(pk) ON DELETE CASCADE,
  topic_pk    INTEGER NOT NULL REFERENCES topic(pk) ON DELETE CASCADE,
  PRIMARY KEY (resource_pk, topic_pk)
) WITHOUT ROWID;

-- "Get help now": the urgent channels, in display order.
CREATE TABLE help_channel (
  pk          INTEGER PRIMARY KEY,
  position    INTEGER NOT NULL,
  label       TEXT NOT NULL,              -- 'Childline'
  description TEXT NOT NULL,              -- 'Free, confidential help for under-19s'
  kind        TEXT NOT NULL CHECK (kind IN ('phone', 'web', 'email', 'text')),
  value       TEXT NOT NULL,              -- '0800 1111' or a URL
  hours       TEXT,
  org_pk      INTEGER REFERENCES organisation(pk) ON DELETE SET NULL
);
