DROP TABLE suggestion_dismissals;
DROP TABLE announcement_reactions;
DROP TABLE announcement_reads;
DROP TABLE announcements;
