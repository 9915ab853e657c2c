package org.transfer4j.exec;

/** Start-up settings for DJL: always offline, so it never probes the network. */
public final class DjlEngine {

    private DjlEngine() {
    }

    /** Sets DJL's offline switches; call before the first use of any DJL engine class. */
    public static void ensureOffline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }
}
