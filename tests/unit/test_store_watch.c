/* test_store_watch.c: store_watch_commits (issue 12). A watched connection
 * answers store_last_change from memory while nothing is committed, and sees
 * at once a change committed by itself, by another connection and by another
 * process; inside a read transaction it answers that snapshot's, and what it
 * read there does not outlive the transaction; and watching leaves SQLite's
 * locks on the index as they were. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "store.h"
#include "store_internal.h"

static char path[32];
static const char *self; /* this program: the other processes are it, run anew */

/* Runs this program anew with a role and the database (a child of fork alone
 * would carry this process's heap into valgrind's leak check at its exit);
 * its exit status. */
static int run_self(const char *role, const char *file)
{
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        execl(self, self, role, file, (char *)NULL);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* The roles of run_self. */
static int commit_as_another_process(const char *file)
{
    store *s;
    char *err = NULL;
    int64_t change = 0;
    if (store_open(file, STORE_READWRITE, &s, &err)) {
        free(err);
        return 1;
    }
    int failed = store_begin(s, "child", "test", NULL, &change) || store_commit(s);
    store_close(s);
    return failed;
}

/* Whether another process holds the read lock on byte 128 of the -shm file. */
static int index_in_use(const char *shm)
{
    int fd = open(shm, O_RDWR);
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 128, .l_len = 1};
    int in_use = fd >= 0 && fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type == F_RDLCK;
    if (fd >= 0)
        close(fd);
    return in_use ? 0 : 1;
}

static store *open_store(store_mode mode)
{
    store *s;
    char *err = NULL;
    assert_int_equal(store_open(path, mode, &s, &err), 0);
    return s;
}

static int64_t record_change(store *s)
{
    int64_t change = 0;
    assert_int_equal(store_begin(s, "test", "test", NULL, &change), 0);
    assert_int_equal(store_commit(s), 0);
    return change;
}

/* How often the connection has run the query of the last change. */
static int queries(store *s)
{
    for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st; st = sqlite3_next_stmt(s->db, st))
        if (strcmp(sqlite3_sql(st), "SELECT coalesce(max(id), 0) FROM change") == 0)
            return sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/somon-watch-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    store *s = open_store(STORE_CREATE);
    assert_int_equal(store_migrate(s, 0), 0);
    record_change(s);
    store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char name[sizeof path + 8];
    unlink(path);
    snprintf(name, sizeof name, "%s-wal", path);
    unlink(name);
    snprintf(name, sizeof name, "%s-shm", path);
    unlink(name);
    return 0;
}

static void test_answers_from_memory_until_a_commit(void **state)
{
    (void)state;
    store *watched = open_store(STORE_READWRITE), *other = open_store(STORE_READWRITE);
    assert_true(store_watch_commits(watched));
    int64_t first = store_last_change(watched);
    assert_true(first >= 1);
    int asked = queries(watched);
    for (int i = 0; i < 5; i++)
        assert_int_equal(store_last_change(watched), first);
    assert_int_equal(queries(watched), asked); /* nothing committed: no query */

    /* another connection */
    int64_t second = record_change(other);
    assert_int_equal(second, first + 1);
    assert_int_equal(store_last_change(watched), second);
    assert_int_equal(store_last_change(watched), second);

    /* another process */
    assert_int_equal(run_self("--commit", path), 0);
    assert_int_equal(store_last_change(watched), second + 1);

    /* itself */
    int64_t own = record_change(watched);
    assert_int_equal(own, second + 2);
    assert_int_equal(store_last_change(watched), own);
    store_close(other);
    store_close(watched);
}

static void test_a_transaction_answers_its_snapshot(void **state)
{
    (void)state;
    store *watched = open_store(STORE_READWRITE), *other = open_store(STORE_READWRITE);
    assert_true(store_watch_commits(watched));
    int64_t before = store_last_change(watched);
    assert_int_equal(store_read_begin(watched), 1);
    assert_int_equal(store_last_change(watched), before); /* the snapshot begins here */
    int64_t after = record_change(other);
    assert_int_equal(store_last_change(watched), before);
    store_read_end(watched, 1);
    assert_int_equal(store_last_change(watched), after);
    store_close(other);
    store_close(watched);
}

static void test_read_only_connections_are_not_watched(void **state)
{
    (void)state;
    store *s = open_store(STORE_READONLY), *other = open_store(STORE_READWRITE);
    assert_false(store_watch_commits(s));
    int64_t before = store_last_change(s);
    assert_int_equal(store_last_change(s), before);
    assert_int_equal(record_change(other), before + 1);
    assert_int_equal(store_last_change(s), before + 1);
    store_close(other);
    store_close(s);
}

/* SQLite's unix layer marks an index in use with a read lock on byte 128 of
 * the -shm file (its "DMS" byte); another process that finds it free takes
 * the index over and truncates the file. Watching once opened and closed the
 * file, which dropped the lock (closing any descriptor of a file drops every
 * POSIX lock the process holds on it): an import then truncated the index
 * under the server, whose SQLite died of SIGBUS. */
static void test_the_index_stays_in_use(void **state)
{
    (void)state;
    store *watched = open_store(STORE_READWRITE);
    assert_true(store_watch_commits(watched));
    assert_true(store_last_change(watched) >= 1);
    char shm[sizeof path + 8];
    snprintf(shm, sizeof shm, "%s-shm", path);
    /* in another process: a lock held by this process itself would not show */
    assert_int_equal(run_self("--index-in-use", shm), 0);
    store_close(watched);
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc == 3 && strcmp(argv[1], "--commit") == 0)
        return commit_as_another_process(argv[2]);
    if (argc == 3 && strcmp(argv[1], "--index-in-use") == 0)
        return index_in_use(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_answers_from_memory_until_a_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_transaction_answers_its_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_connections_are_not_watched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_index_stays_in_use, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
