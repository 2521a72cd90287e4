package dev.gradlab.web;

/** The paging parameters every list endpoint takes (jobs, studies), checked one way. */
final class PageParameters {

    static final int MAX_PAGE_SIZE = 100;

    private PageParameters() {}

    /** @throws BadParameterException naming {@code page} or {@code size} when out of range */
    static void check(int page, int size) {
        if (page < 0) {
            throw new BadParameterException("page", "must be 0 or more (was " + page + ")");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new BadParameterException("size", "must be between 1 and " + MAX_PAGE_SIZE + " (was " + size + ")");
        }
    }
}
