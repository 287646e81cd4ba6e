import { TextInput } from "@mantine/core";
import { useState } from "react";
import { suggestId } from "./slug";

/**
 * A name and the ID (or slug) made from it as it is typed, until the ID is
 * typed itself; an existing one's ID is kept as it is.
 */
export function useNameAndId(name: string, id: string, existing: boolean) {
  const [value, setValue] = useState({ name, id });
  const [idTyped, setIdTyped] = useState(existing);
  return {
    ...value,
    setName: (next: string) => setValue((v) => ({ name: next, id: idTyped ? v.id : suggestId(next) })),
    setId: (next: string) => {
      setValue((v) => ({ ...v, id: next }));
      setIdTyped(true);
    },
  };
}

interface Props {
  value: ReturnType<typeof useNameAndId>;
  idLabel: string;
  idDescription: string;
  /** IDs do not change once made. */
  idDisabled?: boolean;
}

export function NameAndIdInputs({ value, idLabel, idDescription, idDisabled }: Props) {
  return (
    <>
      <TextInput label="Name" value={value.name} onChange={(e) => value.setName(e.currentTarget.value)} required data-autofocus />
      <TextInput
        label={idLabel}
        description={idDescription}
        value={value.id}
        onChange={(e) => value.setId(e.currentTarget.value)}
        disabled={idDisabled}
        required
      />
    </>
  );
}
