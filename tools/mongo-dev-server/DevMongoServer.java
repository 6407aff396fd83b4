import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;

/**
 * The MongoDB-compatible dev server of Couture OMS: mongo-java-server bound to one address.
 *
 * <p>Options (each also read from an environment variable):
 *
 * <pre>
 *   --host H        MONGO_DEV_HOST      default 127.0.0.1
 *   --port P        MONGO_DEV_PORT      default 27017; 0 picks a free port (the ready line tells it)
 *   --backend B     MONGO_DEV_BACKEND   "memory" (default) or "h2:FILE" (persistent MVStore file)
 *   --exit-on-stdin-close               stop when standard input closes (the parent died)
 * </pre>
 *
 * <p>Prints "DevMongoServer ready: mongodb://HOST:PORT backend=..." once it accepts connections. On
 * SIGTERM or SIGINT it closes every connection and the H2 store, so the last writes are on disk.
 */
public final class DevMongoServer {
  private DevMongoServer() {}

  public static void main(String[] args) throws Exception {
    // Before any mongo-java-server class creates its logger: warnings only, on stderr.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    // Compound secondary indexes are accepted but not built here (it scans instead); the OMS declares them for
    // real MongoDB, so that warning, repeated at every start, would only be noise.
    System.setProperty("org.slf4j.simpleLogger.log.de.bwaldvogel.mongo.backend.AbstractMongoDatabase", "error");

    Map<String, String> options = parseOptions(args);
    String host = option(options, "host", "MONGO_DEV_HOST", "127.0.0.1");
    int port = Integer.parseInt(option(options, "port", "MONGO_DEV_PORT", "27017"));
    String backendSpec = option(options, "backend", "MONGO_DEV_BACKEND", "memory");

    MongoBackend backend = openBackend(backendSpec);
    // MONGO_5_0 reports wire version 8, which the project's pinned mongodb driver (7.5) accepts.
    backend.version(ServerVersion.MONGO_5_0);
    MongoServer server = new MongoServer(backend);

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  // Closing the backend commits and closes the H2 store: nothing written is lost.
                  backend.close();
                  System.out.println("DevMongoServer stopped");
                  System.out.flush();
                },
                "dev-mongo-shutdown"));

    // One worker thread: with more, concurrent mixed reads and writes drop connections.
    server.bind(new InetSocketAddress(host, port), 1, 1);
    InetSocketAddress bound = server.getLocalAddress();
    System.out.println(
        "DevMongoServer ready: mongodb://"
            + host
            + ":"
            + bound.getPort()
            + " backend="
            + backendSpec
            + " wireVersion="
            + ServerVersion.MONGO_5_0.getWireVersion());
    System.out.flush();

    if (options.containsKey("exit-on-stdin-close")) {
      watchStandardInput();
    }
    Thread.currentThread().join();
  }

  private static MongoBackend openBackend(String spec) {
    if (spec.equals("memory")) {
      return new IdLookupMemoryBackend();
    }
    if (spec.startsWith("h2:") && spec.length() > 3) {
      File file = new File(spec.substring(3)).getAbsoluteFile();
      File folder = file.getParentFile();
      if (folder != null && !folder.isDirectory() && !folder.mkdirs()) {
        throw new IllegalArgumentException("cannot create folder " + folder);
      }
      return new IdLookupH2Backend(file.getPath());
    }
    throw new IllegalArgumentException("backend must be \"memory\" or \"h2:FILE\", got \"" + spec + "\"");
  }

  /** Exits (running the shutdown hook) when the parent process closes our standard input. */
  private static void watchStandardInput() {
    Thread watcher =
        new Thread(
            () -> {
              InputStream in = System.in;
              byte[] buffer = new byte[256];
              try {
                while (in.read(buffer) >= 0) {
                  // Input is ignored; only its end matters.
                }
              } catch (IOException ignored) {
                // A broken pipe means the same thing as an end of input.
              }
              System.exit(0);
            },
            "dev-mongo-stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static Map<String, String> parseOptions(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String name = arg.substring(2);
      if (name.equals("exit-on-stdin-close")) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + arg);
      }
    }
    return options;
  }

  private static String option(Map<String, String> options, String name, String envName, String fallback) {
    String value = options.get(name);
    if (value == null) {
      value = System.getenv(envName);
    }
    return value == null || value.isEmpty() ? fallback : value;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // _id lookups for compound filters.
  //
  // mongo-java-server uses an index only when a filter's keys exactly match the index's keys, so
  // {_id: "X", available: {$gte: 1}} scans the whole collection (measured: ~45 conditional updates/s against
  // ~3,000/s for {_id: "X"} with 100,000 documents). Every conditional update of the inventory pays that. The
  // collections below look such a filter's one candidate up through the _id index and then apply the whole filter
  // with the library's own matcher, so results are unchanged; every read, update, delete and findAndModify goes
  // through queryDocuments. Only the collection factories change; everything else is the library's.
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * The positions of the one document a filter's plain _id equality can match, found through an index that
   * handles {_id: value}; null when the filter has no such equality beside other conditions (the library's own
   * index selection already serves {_id: value} alone) or no index can look it up.
   */
  static <P> Iterable<P> idCandidatePositions(Document query, List<Index<P>> indexes) {
    Object id = query.get("_id");
    boolean plainValue = id instanceof String || id instanceof Number || id instanceof ObjectId;
    if (query.size() < 2 || !plainValue) {
      return null;
    }
    Document idQuery = new Document("_id", id);
    for (Index<P> index : indexes) {
      if (index.canHandle(idQuery)) {
        return index.getPositions(idQuery);
      }
    }
    return null;
  }

  /** The memory backend (tests, default dev server) with _id lookups for compound filters. */
  static final class IdLookupMemoryBackend extends MemoryBackend {
    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
      return new MemoryDatabase(databaseName, getCursorRegistry()) {
        @Override
        protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
          return new IdLookupMemoryCollection(this, collectionName, options, cursorRegistry);
        }
      };
    }
  }

  static final class IdLookupMemoryCollection extends MemoryCollection {
    IdLookupMemoryCollection(
        MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursorRegistry) {
      super(database, name, options, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(
        Document query, Document orderBy, int skip, int limit, int batchSize, Document projection) {
      Iterable<Integer> positions = idCandidatePositions(query, getIndexes());
      return positions == null
          ? super.queryDocuments(query, orderBy, skip, limit, batchSize, projection)
          : matchDocuments(query, positions, orderBy, skip, limit, batchSize, projection);
    }
  }

  /** The H2 backend (persistent dev stack) with _id lookups for compound filters. */
  static final class IdLookupH2Backend extends H2Backend {
    IdLookupH2Backend(String fileName) {
      super(fileName);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
      // An inner (not static) class: H2Database's constructor already opens the existing collections, before a
      // field of a subclass could be set, but the reference to this backend (and so its store) is set first.
      return new H2Database(databaseName, getMvStore(), getCursorRegistry()) {
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
          // The same maps H2Database opens for a collection: its documents and its metadata.
          String namespace = getFullCollectionNamespace(collectionName);
          MVMap<Object, Document> documents = getMvStore().openMap("databases." + namespace);
          MVMap<String, Object> metadata = getMvStore().openMap("meta." + namespace);
          return new IdLookupH2Collection(this, collectionName, options, documents, metadata, cursorRegistry);
        }
      };
    }
  }

  static final class IdLookupH2Collection extends H2Collection {
    IdLookupH2Collection(
        MongoDatabase database,
        String name,
        CollectionOptions options,
        MVMap<Object, Document> documents,
        MVMap<String, Object> metadata,
        CursorRegistry cursorRegistry) {
      super(database, name, options, documents, metadata, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(
        Document query, Document orderBy, int skip, int limit, int batchSize, Document projection) {
      Iterable<Object> positions = idCandidatePositions(query, getIndexes());
      return positions == null
          ? super.queryDocuments(query, orderBy, skip, limit, batchSize, projection)
          : matchDocuments(query, positions, orderBy, skip, limit, batchSize, projection);
    }
  }
}
