package dev.scout.sqlite;

import dev.scout.sqlite.text.UserText;
import dev.scout.sqlite.db.Database;
import dev.scout.sqlite.error.StateException;
import dev.scout.app.DeviceTags;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** This installation's settings: device tag and name, free-form keys. */
public final class SettingsRepository {
    private final Database db;

    SettingsRepository(Database db) {
        this.db = db;
    }

    /** This installation's 23-bit device tag: random at first use, then kept. */
    public synchronized int deviceTag() {
        String stored = db.read("read the device tag", c -> getSetting(c, StateStore.SETTING_DEVICE_TAG));
        if (stored != null) {
            return parseDeviceTag(stored);
        }
        return db.write("create the device tag", c -> {
            // INSERT OR IGNORE: if another process created one meanwhile, its tag wins.
            try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)")) {
                p.setString(1, StateStore.SETTING_DEVICE_TAG);
                p.setString(2, Integer.toString(DeviceTags.random()));
                p.executeUpdate();
            }
            return parseDeviceTag(getSetting(c, StateStore.SETTING_DEVICE_TAG));
        });
    }

    /** Replaces the device tag (after a collision with another device of the same identity). */
    public synchronized void setDeviceTag(int tag) {
        DeviceTags.requireValid(tag);
        db.write("store the device tag", c -> {
            putSetting(c, StateStore.SETTING_DEVICE_TAG, Integer.toString(tag));
            return null;
        });
    }

    private int parseDeviceTag(String stored) {
        try {
            return DeviceTags.requireValid(Integer.parseInt(stored));
        } catch (IllegalArgumentException e) {
            throw new StateException("the device tag stored in " + db.databaseFile() + " is not a 23-bit number");
        }
    }

    /** The device name: the one set, else the host name (at most 32 UTF-8 bytes), else "scout". */
    public synchronized String deviceName() {
        String stored = db.read("read the device name", c -> getSetting(c, StateStore.SETTING_DEVICE_NAME));
        return stored != null ? stored : defaultDeviceName();
    }

    /**
     * Sets the device name shown to contacts.
     *
     * @throws IllegalArgumentException if it is empty, longer than 32 UTF-8 bytes or has control characters
     */
    public synchronized void setDeviceName(String name) {
        Objects.requireNonNull(name, "name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isBlank() || bytes > StateStore.MAX_DEVICE_NAME_BYTES || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a device name must be 1-" + StateStore.MAX_DEVICE_NAME_BYTES
                    + " bytes of UTF-8 without control characters, got " + UserText.display(name));
        }
        db.write("store the device name", c -> {
            putSetting(c, StateStore.SETTING_DEVICE_NAME, name);
            return null;
        });
    }

    static String defaultDeviceName() {
        List<String> candidates = new ArrayList<>();
        candidates.add(System.getenv("HOSTNAME"));
        candidates.add(System.getenv("COMPUTERNAME"));
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                candidates.add(Files.readString(proc));
            }
        } catch (IOException | RuntimeException e) {
            // try the next source
        }
        for (String candidate : candidates) {
            String name = cleanHostName(candidate);
            if (name != null) {
                return name;
            }
        }
        try {
            String name = cleanHostName(InetAddress.getLocalHost().getHostName());
            if (name != null) {
                return name;
            }
        } catch (IOException e) {
            // fall through
        }
        return "scout";
    }

    private static String cleanHostName(String raw) {
        if (raw == null) {
            return null;
        }
        String name = raw.strip();
        if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        while (name.getBytes(StandardCharsets.UTF_8).length > StateStore.MAX_DEVICE_NAME_BYTES) {
            name = name.substring(0, name.offsetByCodePoints(name.length(), -1));
        }
        return name;
    }

    /** A free-form setting. */
    public synchronized Optional<String> setting(String key) {
        requireKey(key);
        return Optional.ofNullable(db.read("read a setting", c -> getSetting(c, key)));
    }

    /**
     * Stores a free-form setting. The device tag, device name and internal keys have their own
     * methods and are refused here.
     */
    public synchronized void putSetting(String key, String value) {
        requireFreeSettingKey(key);
        Objects.requireNonNull(value, "value");
        db.write("store a setting", c -> {
            putSetting(c, key, value);
            return null;
        });
    }

    /** Removes a free-form setting; returns whether it existed. */
    public synchronized boolean removeSetting(String key) {
        requireFreeSettingKey(key);
        return db.write("remove a setting", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM settings WHERE key = ?")) {
                p.setString(1, key);
                return p.executeUpdate() > 0;
            }
        });
    }

    static void requireKey(String key) {
        if (key == null || key.isEmpty() || key.length() > StateStore.MAX_KEY_CHARS) {
            throw new IllegalArgumentException("a key must be 1-" + StateStore.MAX_KEY_CHARS + " characters");
        }
    }

    private static void requireFreeSettingKey(String key) {
        requireKey(key);
        if (key.equals(StateStore.SETTING_DEVICE_TAG) || key.equals(StateStore.SETTING_DEVICE_NAME) || key.equals(StateStore.SETTING_PAIR_OWNER)) {
            throw new IllegalArgumentException("the setting " + key + " has its own method");
        }
    }

    static String getSetting(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static void putSetting(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }
}
