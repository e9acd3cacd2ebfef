/*
 * api/events.h - the per-connection registry of event callbacks.
 */
#ifndef EVIRT_EVENTS_H
#define EVIRT_EVENTS_H

typedef struct evirt_event_registry evirt_event_registry;

/* The object families that have events. */
enum {
    EVIRT_EVENT_FAMILY_DOMAIN = 0,
    EVIRT_EVENT_FAMILY_NETWORK = 1,
    EVIRT_EVENT_FAMILY_STORAGE_POOL = 2,
};

evirt_event_registry *evirt_event_registry_new(void);
/* Frees every registration (their ff run). */
void evirt_event_registry_free(evirt_event_registry *reg);

#endif
