-- Attachments: uploaded here (files in the file store) or on another
-- server (shown by URL, with a locally cached preview).
CREATE TABLE media_attachments (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Set once attached to a status.
    status_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    -- Order within the status.
    position INTEGER NOT NULL,
    -- image or unknown (any other file, e.g. a PDF lesson plan).
    kind TEXT NOT NULL,
    content_type TEXT NOT NULL,
    -- Keys in the file store (local files, and cached remote previews).
    file_key TEXT,
    preview_key TEXT,
    remote_url TEXT,
    description TEXT NOT NULL,
    focus_x REAL,
    focus_y REAL,
    width INTEGER,
    height INTEGER,
    preview_width INTEGER,
    preview_height INTEGER,
    blurhash TEXT,
    file_size BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX media_attachments_status ON media_attachments (status_id, position);
CREATE INDEX media_attachments_account ON media_attachments (account_id, id);
