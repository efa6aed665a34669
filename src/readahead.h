/* readahead.h: the server reads each new register version ahead of its
 * readers (issue 12).
 *
 * What a version costs to read on a large register (the view, the agreements
 * shared by the pages over every agreement, the indicator values, the
 * overview's monthly chart, the spreadsheet template of its municipalities)
 * is far over what a page may take. One thread with a read-only connection of its own
 * reads the newest version: once before the server says it listens, after
 * each change the server records (readahead_poke, from web.c), and at least
 * every second (a change the command line recorded). A page that comes first
 * waits for that read (the caches load a version once) instead of repeating
 * it. Without the thread everything still works; the pages read themselves. */
#ifndef SOMON_READAHEAD_H
#define SOMON_READAHEAD_H

/* Reads the newest version, then starts the thread; stop it before the
 * caches are cleared. */
void readahead_start(const char *db_path);
void readahead_poke(void);
void readahead_stop(void);

#endif
