-- Files are served by key: find the attachment of a key (its post decides
-- whether the file may be cached publicly) without reading the whole table.
CREATE INDEX media_attachments_file_key ON media_attachments (file_key);
CREATE INDEX media_attachments_preview_key ON media_attachments (preview_key);
