package io.github.ssestarter.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between one application node and Redis, so that a test can fault the network
 * of that node alone: {@link #stall()} stops forwarding (connections stay open, nothing
 * arrives, as in a partition), {@link #refuse()} drops every connection and refuses new
 * ones (Redis unreachable from that node), {@link #restore()} undoes both, and
 * {@link #retarget(int)} sends new connections elsewhere (a failover behind a stable
 * address).
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Object gate = new Object();

	private volatile int targetPort;

	private volatile boolean stalled;

	private volatile boolean refusing;

	private volatile boolean closed;

	public TcpProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** Stop forwarding bytes in both directions; connections stay open. */
	public void stall() {
		this.stalled = true;
	}

	/** Drop every connection and refuse new ones. */
	public void refuse() {
		this.refusing = true;
		dropConnections();
	}

	/** Forward again, and accept connections again. */
	public void restore() {
		this.refusing = false;
		this.stalled = false;
		synchronized (this.gate) {
			this.gate.notifyAll();
		}
	}

	/** Send new connections to another port and drop the current ones. */
	public void retarget(int port) {
		this.targetPort = port;
		dropConnections();
	}

	private void dropConnections() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				if (this.refusing) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort), 2000);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// the server socket closed, or the target refused: the client sees a closed connection
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					awaitForwarding();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// one side closed: close the other
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private void awaitForwarding() throws InterruptedException {
		synchronized (this.gate) {
			while (this.stalled && !this.closed) {
				this.gate.wait(100);
			}
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		restore();
		this.server.close();
		dropConnections();
	}

}
