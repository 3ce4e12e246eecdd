package dev.scout.cli.api;

import java.util.List;

/** One resource of the API (contacts, messages, …): the routes it answers. */
public interface Resource {
    List<Route> routes();
}
