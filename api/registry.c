/*
 * api/registry.c - the connection drivers, asked in order which one opens
 * a URI.
 */
#include <config.h>

#include <pthread.h>

#include "api/driver.h"

#define MAX_DRIVERS 16

static const evirt_driver *drivers[MAX_DRIVERS];
static int ndrivers;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/* The drivers built into libevirt, in the order they are asked. */
extern const evirt_driver evirt_test_driver;
/* drivers/remote: its table is filled from the generated stubs at first use.
 * After the test driver, so test:///... stays in process. */
const evirt_driver *evirt_remote_driver_get(void);

static void register_builtin(void)
{
    evirt_driver_register(&evirt_test_driver);
    evirt_driver_register(evirt_remote_driver_get());
}

int evirt_driver_register(const evirt_driver *drv)
{
    pthread_mutex_lock(&lock);
    int ret = -1;
    if (ndrivers < MAX_DRIVERS) {
        drivers[ndrivers++] = drv;
        ret = 0;
    }
    pthread_mutex_unlock(&lock);
    return ret;
}

const evirt_driver *evirt_driver_find(const evirt_uri *uri)
{
    pthread_once(&builtin_once, register_builtin);
    const evirt_driver *found = NULL;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < ndrivers && !found; i++)
        if (drivers[i]->claims(uri))
            found = drivers[i];
    pthread_mutex_unlock(&lock);
    return found;
}
