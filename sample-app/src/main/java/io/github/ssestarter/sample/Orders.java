package io.github.ssestarter.sample;

import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The sample's orders: order 42 is alice's, 43 is bob's. In a real application this is
 * the order repository.
 */
@Component
class Orders {

	private static final Map<String, String> OWNERS = Map.of("42", "alice", "43", "bob");

	/**
	 * Who owns an order.
	 * @param orderId the order id
	 * @return the owner's user name, or empty for an unknown order
	 */
	Optional<String> ownerOf(String orderId) {
		return Optional.ofNullable(OWNERS.get(orderId));
	}

}
