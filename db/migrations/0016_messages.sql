-- Messages that reach people off the site (issue 17): the outbox and who may receive what.

-- One row per message to one recipient on one channel, written in the transaction of the event
-- that causes it. `idem_key` is (event, channel, recipient): enqueueing the same event twice
-- changes nothing, and the key is passed to the gateway as its out-id so a send retried after a
-- crash is recognised there.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  idem_key TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'wecom', 'dingtalk', 'email')),
  kind TEXT NOT NULL,
  -- A phone (sms), an e-mail address (email) or the region code whose robot gets it (wecom, dingtalk).
  recipient TEXT NOT NULL,
  -- The region the message is about: filters and the county that may see the phone unmasked.
  region_code TEXT NOT NULL,
  -- Urgent messages ignore quiet hours and the daily cap.
  urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
  -- Template variables (JSON object) and the rendered text (the log driver, robots, e-mail, admin).
  params TEXT NOT NULL DEFAULT '{}',
  body TEXT NOT NULL,
  -- Set for messages to a subscriber: nothing is sent once that subscription has ended.
  subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'merged')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  provider_id TEXT,
  provider_answer TEXT,
  last_error TEXT,
  -- The digest a capped message was merged into.
  merged_into INTEGER REFERENCES outbox (id),
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, due_at);
CREATE INDEX outbox_recipient ON outbox (recipient, sent_at);
CREATE INDEX outbox_region ON outbox (region_code, created_at);
CREATE INDEX outbox_created ON outbox (created_at);

-- Staff who want messages: their own phone and e-mail and the alerts they chose (JSON array of
-- alert names, e.g. ["urgent","review"]).
CREATE TABLE staff_contacts (
  user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  alerts TEXT NOT NULL DEFAULT '[]',
  updated_at INTEGER NOT NULL
);

-- The duty roster: phones that must hear at once about an urgent report in or below a region.
CREATE TABLE duty_roster (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions (code),
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (region_code, phone)
);

-- Farmers subscribed by phone, without an account. A subscription is active once its code was
-- confirmed and until it is ended; `token` makes the short unsubscribe link.
CREATE TABLE subscribers (
  id INTEGER PRIMARY KEY,
  phone TEXT NOT NULL UNIQUE,
  village_code TEXT NOT NULL REFERENCES regions (code),
  token TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'ended')),
  confirmed_at INTEGER,
  ended_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX subscribers_village ON subscribers (status, village_code);

-- Topics: 'price' (with a commodity), 'training', 'notice', 'alert'. commodity_id is 0 for the others.
CREATE TABLE subscriber_topics (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  topic TEXT NOT NULL CHECK (topic IN ('price', 'training', 'notice', 'alert')),
  commodity_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (subscriber_id, topic, commodity_id)
) WITHOUT ROWID;
CREATE INDEX subscriber_topics_topic ON subscriber_topics (topic, commodity_id);

-- Six-digit codes sent by SMS to confirm a phone (subscribe, manage). Only the hash is kept.
CREATE TABLE phone_codes (
  phone TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('subscribe', 'manage')),
  code_hash TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (phone, purpose)
) WITHOUT ROWID;
