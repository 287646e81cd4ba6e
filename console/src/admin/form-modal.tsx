import { Modal, type ModalProps } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";

/** The admin screens' dialogs: the whole screen on a phone, where a centred box leaves the inputs too narrow. */
export function FormModal(props: Omit<ModalProps, "opened" | "fullScreen">) {
  const phone = useMediaQuery("(max-width: 36em)");
  return <Modal opened fullScreen={phone === true} {...props} />;
}
