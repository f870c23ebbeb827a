/* backup.c: store_backup, an online copy of the database with SQLite's
 * backup API, checked and made durable. */
#include "store/store_int.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int store_backup(const char *path)
{
    int rc = -1;
    sqlite3 *dst = NULL;
    struct conn *c = conn_get();
    if (!c)
        return -1;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        log_db_error(dst, "opening the backup file");
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
    if (!b) {
        log_db_error(dst, "starting the backup");
        goto out;
    }
    /* Copy in steps so a busy writer is never blocked for long; a write
     * in between restarts the copy from the source's new state. */
    int step;
    do {
        step = sqlite3_backup_step(b, 256);
        if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        log_db_error(dst, "copying");
        goto out;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW &&
        strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0)
        rc = 0;
    else
        fprintf(stderr, "signpost: the backup copy fails its integrity check\n");
    sqlite3_finalize(st);
out:
    sqlite3_close(dst);
    if (rc == 0) {
        /* The copy is a rollback-journal database: make it durable. */
        int fd = open(path, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            rc = -1;
        if (fd >= 0)
            close(fd);
    }
    return rc;
}
